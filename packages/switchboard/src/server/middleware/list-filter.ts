import type { Params } from '../../protocol/messages.js';
import type { ServerCore } from '../core.js';
import type { RequestContext } from '../request-context.js';
import { callOf } from './call-view.js';
import type { ListItem } from './types.js';

/**
 * The definitions of `entries` this caller may see, in order: all of them (the registry's shared array) when no
 * `onList` filter is registered, else those every filter keeps.
 */
export function visibleDefinitions(
  core: ServerCore,
  ctx: RequestContext,
  entries: readonly { readonly listItem: ListItem }[],
  all: readonly Params[],
): readonly Params[] {
  const filters = core.listFilters;
  if (filters.length === 0) return all;
  const call = callOf(core, ctx);
  const visible: Params[] = [];
  for (const { listItem } of entries) {
    if (filters.every((filter) => filter(listItem, call))) visible.push(listItem.definition);
  }
  return visible;
}

/** Whether one item passes every filter (resources a template lists at run time). */
export function isVisible(core: ServerCore, ctx: RequestContext, item: ListItem): boolean {
  const filters = core.listFilters;
  if (filters.length === 0) return true;
  const call = callOf(core, ctx);
  return filters.every((filter) => filter(item, call));
}
