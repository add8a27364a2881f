import assert from 'node:assert/strict';
import { hasSilentRead } from '../../src/process/silentRead';

describe('silentRead: a shell script that reads a password', () => {
  it('finds read -s in every spelling of its options', () => {
    for (const script of [
      'read -s word',
      'read -rs word',
      "read -sp 'Password: ' word",
      "read -p 'Key: ' -s key",
      'echo hi; read -r -s word',
      'if true; then read -s word; fi',
      '(read -s x)',
      'echo start\n  read -s x\n',
    ]) {
      assert.equal(hasSilentRead(script), true, script);
    }
  });

  it('ignores plain reads, other commands and flags of the next command', () => {
    for (const script of [
      'read word',
      "read -r -p 'Name: ' name",
      'thread -s x',
      'read x; grep -s y file',
      'read -r x\ngrep -s y file',
      'read --silent x',
      'echo read -p',
    ]) {
      assert.equal(hasSilentRead(script), false, script);
    }
  });
});
