/** Small checks on names and values shared by the template modules (no YAML or Handlebars here). */

/** Names that every JavaScript object already has: a variable with one of them would misbehave. */
export const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** A name Handlebars reads as a plain identifier in `{{name}}` (otherwise write `{{[name]}}`). */
export function isPlainIdentifier(name: string): boolean {
  return /^[^\s!"#%&'()*+,./;<=>@[\\\]^`{|}~]+$/u.test(name)
    && !/^(?:true|false|null|undefined|else|this|as)$/.test(name)
    && !/^-?\d/.test(name);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
