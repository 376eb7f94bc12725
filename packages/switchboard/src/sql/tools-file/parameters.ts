import { z } from 'zod';
import type { ParameterConfig } from './config-schema.js';
import { ToolsFileError } from './tools-file-error.js';

type Item = Omit<ParameterConfig, 'name' | 'required' | 'default' | 'items' | 'type' | 'minItems' | 'maxItems'> & {
  type: ParameterConfig['type'];
};

/** One scalar parameter as zod: its type, bounds and allowed values. */
function scalar(item: Item, what: string): z.ZodType {
  if (item.allowedValues !== undefined) {
    const values = item.allowedValues;
    if (item.type === 'string') {
      if (!values.every((v) => typeof v === 'string'))
        throw new ToolsFileError(`${what}: allowedValues must be strings`);
      return z.enum(values as [string, ...string[]]);
    }
    if (!values.every((v) => typeof v === 'number')) throw new ToolsFileError(`${what}: allowedValues must be numbers`);
    return z.literal(values as [number, ...number[]]);
  }
  switch (item.type) {
    case 'string': {
      let schema = z.string();
      if (item.minLength !== undefined) schema = schema.min(item.minLength);
      if (item.maxLength !== undefined) schema = schema.max(item.maxLength);
      if (item.pattern !== undefined) schema = schema.regex(new RegExp(item.pattern));
      return schema;
    }
    case 'integer':
    case 'float':
    case 'number': {
      let schema = item.type === 'integer' ? z.number().int() : z.number();
      if (item.minValue !== undefined) schema = schema.min(item.minValue);
      if (item.maxValue !== undefined) schema = schema.max(item.maxValue);
      return schema;
    }
    case 'boolean':
      return z.boolean();
    default:
      throw new ToolsFileError(`${what}: type ${item.type} needs items`);
  }
}

/**
 * The zod shape of a tool's parameters (MCP Toolbox's parameter fields): required unless `required: false` or a
 * `default` is given, which is itself checked against the parameter's type.
 */
export function parametersShape(parameters: readonly ParameterConfig[], what: string): z.ZodRawShape {
  const shape: Record<string, z.ZodType> = {};
  for (const parameter of parameters) {
    const where = `${what}: parameter "${parameter.name}"`;
    if (parameter.name in shape) throw new ToolsFileError(`${where} is declared twice`);
    let schema: z.ZodType;
    if (parameter.type === 'array') {
      if (parameter.items === undefined) throw new ToolsFileError(`${where}: an array needs items: { type: … }`);
      let array = z.array(scalar(parameter.items, `${where} items`));
      if (parameter.minItems !== undefined) array = array.min(parameter.minItems);
      if (parameter.maxItems !== undefined) array = array.max(parameter.maxItems);
      schema = array;
    } else {
      schema = scalar(parameter, where);
    }
    if (parameter.description !== undefined) schema = schema.describe(parameter.description);
    if (parameter.default !== undefined) {
      const checked = schema.safeParse(parameter.default);
      if (!checked.success)
        throw new ToolsFileError(`${where}: default ${JSON.stringify(parameter.default)} is not a valid value`);
      schema = schema.default(checked.data as never);
    } else if (parameter.required === false) {
      schema = schema.optional();
    }
    shape[parameter.name] = schema;
  }
  return shape;
}
