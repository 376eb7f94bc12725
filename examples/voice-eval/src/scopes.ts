/** The OAuth scope every voice-eval tool and resource needs (enforced once an auth middleware is installed). */
export const EVALS_READ = 'evals:read';
