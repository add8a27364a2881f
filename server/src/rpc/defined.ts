/** T with every field allowed to be undefined. */
export type Loose<T> = { [K in keyof T]: T[K] | undefined };

/**
 * Drops undefined fields, so optional ones stay absent rather than present
 * and undefined (the wire has no `undefined`; exactOptionalPropertyTypes
 * agrees). Typed so the object literal still checks against T field by field.
 */
export function defined<T extends object>(value: Loose<T>): T {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = field;
  return out as T;
}
