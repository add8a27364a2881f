/** Tailing of files stages write (`watch:` globs) and the progress they carry. */
export * from './fileTailer';
export * from './jsonlProgress';
export * from './lineSplitter';
