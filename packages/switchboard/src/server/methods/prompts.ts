import { invalidParams } from '../../protocol/errors.js';
import type { Params } from '../../protocol/messages.js';
import type { MethodSpec } from '../../protocol/method-table.js';
import type { ServerCore } from '../core.js';
import { toClientError } from './handler-errors.js';
import { paginate } from './pagination.js';

export function promptMethods(core: ServerCore): Record<string, MethodSpec> {
  return {
    'prompts/list': {
      era: 'both',
      cache: core.listCache,
      handle: ({ params }) => paginate(core.prompts.definitions(), 'prompts', params.cursor, core.pageSize),
    },
    'prompts/get': {
      era: 'both',
      mrtrTarget: (params) => String(params.name),
      handle: async ({ params, ctx }) => {
        if (typeof params.name !== 'string') throw invalidParams('prompts/get needs params.name');
        const prompt = core.prompts.get(params.name);
        if (prompt === undefined) throw invalidParams(`Unknown prompt "${params.name}"`);
        const args = prompt.parseArguments(params.arguments);
        if (!args.ok) throw invalidParams(args.message);
        try {
          return (await prompt.run(args.value, ctx)) as Params;
        } catch (error) {
          throw toClientError(error, invalidParams);
        }
      },
    },
  };
}
