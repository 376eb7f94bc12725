/** What compliant clients send; answered without parsing. */
const COMMON_ACCEPT = 'application/json, text/event-stream';
/** RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ). */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * Whether a Content-Type names `application/json` (RFC 9110 §8.3.1: the type and subtype are case-insensitive;
 * parameters such as `charset` do not change the media type). `application/jsonp` or `application/json-seq` do not.
 */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  if (contentType === 'application/json') return true;
  const semicolon = contentType.indexOf(';');
  const type = semicolon === -1 ? contentType : contentType.slice(0, semicolon);
  return type.trim().toLowerCase() === 'application/json';
}

/**
 * Whether an Accept header admits `mediaType` (lower-case `type/subtype`), per RFC 9110 §12.5.1: the most specific
 * matching range (`type/subtype`, then `type/*`, then `*\/*`) decides, and a weight of `q=0` means "not acceptable".
 * Ranges that are not `type/subtype` or carry a malformed weight are skipped.
 */
export function accepts(accept: string | undefined, mediaType: string): boolean {
  if (accept === undefined) return false;
  if (accept === COMMON_ACCEPT) return mediaType === 'application/json' || mediaType === 'text/event-stream';
  const typeRange = `${mediaType.slice(0, mediaType.indexOf('/'))}/*`;
  let specificity = -1;
  let weight = 0;
  for (const element of accept.split(',')) {
    const semicolon = element.indexOf(';');
    const range = (semicolon === -1 ? element : element.slice(0, semicolon)).trim().toLowerCase();
    const rank = range === mediaType ? 2 : range === typeRange ? 1 : range === '*/*' ? 0 : -1;
    if (rank < 0 || rank < specificity) continue;
    const q = semicolon === -1 ? 1 : weightOf(element.slice(semicolon + 1));
    if (q === undefined) continue;
    // The same range listed twice: the higher weight wins.
    weight = rank > specificity ? q : Math.max(weight, q);
    specificity = rank;
  }
  return weight > 0;
}

/** The `q` parameter of a media range's parameters (1 when absent); undefined when malformed. */
function weightOf(parameters: string): number | undefined {
  for (const parameter of parameters.split(';')) {
    const equals = parameter.indexOf('=');
    if (equals === -1 || parameter.slice(0, equals).trim().toLowerCase() !== 'q') continue;
    const value = parameter.slice(equals + 1).trim();
    return QVALUE.test(value) ? Number(value) : undefined;
  }
  return 1;
}
