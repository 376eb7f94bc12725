import { invalidParams } from '../../protocol/errors.js';
import type { Params } from '../../protocol/messages.js';
import { stringOf } from '../../protocol/untrusted.js';
import type { ServerCore } from '../core.js';
import { visibleDefinitions } from '../middleware/list-filter.js';
import { toClientError } from './handler-errors.js';
import { listPage, paginate } from './pagination.js';
import type { ServerMethod } from './server-method.js';

export function promptMethods(core: ServerCore): Record<string, ServerMethod> {
  return {
    'prompts/list': {
      era: 'both',
      cache: core.listCache,
      handle: ({ params, ctx }) =>
        listPage(
          core,
          ctx,
          paginate(
            visibleDefinitions(core, ctx, core.prompts.list(), core.prompts.definitions()),
            'prompts',
            params.cursor,
            core.pageSize,
          ),
        ),
    },
    'prompts/get': {
      era: 'both',
      mrtrTarget: (params) => stringOf(params.name) ?? '',
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
