import { invalidParams } from '../../protocol/errors.js';
import type { Params } from '../../protocol/messages.js';
import type { CompleteFn } from '../completion.js';
import { completionResult } from '../completion.js';
import type { ServerCore } from '../core.js';
import type { ServerMethod } from './server-method.js';

function completerFor(core: ServerCore, ref: Params, argument: string): CompleteFn | undefined {
  if (ref.type === 'ref/prompt') {
    const prompt = core.prompts.get(String(ref.name));
    if (prompt === undefined) throw invalidParams(`Unknown prompt "${String(ref.name)}"`);
    return prompt.complete[argument];
  }
  if (ref.type === 'ref/resource') {
    const template = core.templates.list().find((t) => t.template.template === ref.uri);
    if (template !== undefined) return template.complete[argument];
    // A fixed resource has nothing to complete; a URI the server does not know is the client's mistake.
    if (core.resources.get(String(ref.uri)) !== undefined) return undefined;
    throw invalidParams(`Unknown resource template "${String(ref.uri)}"`);
  }
  throw invalidParams('ref.type must be "ref/prompt" or "ref/resource"');
}

export function completionMethods(core: ServerCore): Record<string, ServerMethod> {
  return {
    'completion/complete': {
      era: 'both',
      handle: async ({ params, ctx }) => {
        const ref = params.ref as Params | undefined;
        const argument = params.argument as Params | undefined;
        if (typeof ref !== 'object' || ref === null) throw invalidParams('completion/complete needs params.ref');
        if (typeof argument?.name !== 'string' || typeof argument.value !== 'string') {
          throw invalidParams('completion/complete needs params.argument with string name and value');
        }
        const complete = completerFor(core, ref, argument.name);
        if (complete === undefined) return completionResult([]);
        const context = (params.context as { arguments?: Record<string, string> } | undefined)?.arguments ?? {};
        return completionResult(await complete(argument.value, { arguments: context, ctx }));
      },
    },
  };
}
