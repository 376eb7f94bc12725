import { invalidParams } from '../../protocol/errors.js';
import type { Params } from '../../protocol/messages.js';
import { describeValue, isPlainObject, ownEntry, stringOf } from '../../protocol/untrusted.js';
import type { CompleteFn } from '../completion.js';
import { completionResult } from '../completion.js';
import type { ServerCore } from '../core.js';
import type { ServerMethod } from './server-method.js';

function completerFor(core: ServerCore, ref: Params, argument: string): CompleteFn | undefined {
  if (ref.type === 'ref/prompt') {
    const name = stringOf(ref.name);
    if (name === undefined) throw invalidParams('ref.name must be the name of a prompt');
    const prompt = core.prompts.get(name);
    if (prompt === undefined) throw invalidParams(`Unknown prompt "${describeValue(name)}"`);
    return ownEntry(prompt.complete, argument);
  }
  if (ref.type === 'ref/resource') {
    const uri = stringOf(ref.uri);
    if (uri === undefined) throw invalidParams('ref.uri must be a resource template or URI');
    const template = core.templates.list().find((t) => t.template.template === uri);
    if (template !== undefined) return ownEntry(template.complete, argument);
    // A fixed resource has nothing to complete; a URI the server does not know is the client's mistake.
    if (core.resources.get(uri) !== undefined) return undefined;
    throw invalidParams(`Unknown resource template "${describeValue(uri)}"`);
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
        if (!isPlainObject(ref)) throw invalidParams('completion/complete needs params.ref');
        if (typeof argument?.name !== 'string' || typeof argument.value !== 'string') {
          throw invalidParams('completion/complete needs params.argument with string name and value');
        }
        const complete = completerFor(core, ref, argument.name);
        if (complete === undefined) return completionResult([]);
        const given = isPlainObject(params.context) ? params.context.arguments : undefined;
        const context = isPlainObject(given) ? (given as Record<string, string>) : {};
        return completionResult(await complete(argument.value, { arguments: context, ctx }));
      },
    },
  };
}
