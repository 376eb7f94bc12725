/** Where a substitution failed: the message, for the caller to place in the file. */
export class SubstitutionError extends Error {}

const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?|:)([^}]*))?\}/g;

/**
 * Replaces environment references in one string, with MCP Toolbox's forms: `${NAME}` (unset is an error),
 * `${NAME:default}` (unset takes the default), `${NAME:-default}` (unset or empty takes it), `${NAME:?message}`
 * (unset or empty is an error carrying the message). `$${` stands for a literal `${`.
 */
export function substitute(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(REFERENCE, (_all, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (name === undefined) return '${';
    const value = env[name];
    switch (op) {
      case ':':
        return value ?? (arg as string);
      case ':-':
        return value === undefined || value === '' ? (arg as string) : value;
      case ':?':
        if (value === undefined || value === '') {
          throw new SubstitutionError(arg ? `${name}: ${arg}` : `environment variable ${name} is not set or empty`);
        }
        return value;
      default:
        if (value === undefined) {
          throw new SubstitutionError(
            `environment variable ${name} is not set (write \${${name}:default} to give it a default)`,
          );
        }
        return value;
    }
  });
}
