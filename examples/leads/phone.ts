import {
  type CountryCode,
  isSupportedCountry,
  ParseError,
  parsePhoneNumberWithError,
  validatePhoneNumberLength,
} from 'libphonenumber-js/max';
import { ToolError } from 'switchboard-mcp';

const EXAMPLES = 'such as "+1 415 555 0123", "(415) 555-0123" or "+44 20 7946 0018"';
const WHY: Record<string, string> = {
  NOT_A_NUMBER: 'it contains no phone number',
  INVALID_COUNTRY: 'it has no country code and no country was given',
  TOO_SHORT: 'it has too few digits',
  TOO_LONG: 'it has too many digits',
  INVALID_LENGTH: 'it has the wrong number of digits for its country',
};

/**
 * Reads a phone number written any way a person writes one (spaces, dots, dashes, brackets, a leading 1 or 011,
 * `tel:` links, an extension) as E.164. A number without a country code belongs to `country` (default US).
 * Anything that is not a valid number of its country is a ToolError saying what is expected.
 */
export function toE164(input: string, country = 'US'): string {
  const region = country.toUpperCase();
  if (!isSupportedCountry(region)) {
    throw new ToolError(
      `"country" must be an ISO 3166 two-letter country code such as US, CA or GB (got "${country}").`,
    );
  }
  const text = input.trim().replace(/^tel:/i, '');
  let parsed: ReturnType<typeof parsePhoneNumberWithError>;
  try {
    parsed = parsePhoneNumberWithError(text, { defaultCountry: region as CountryCode });
  } catch (error) {
    const reason = error instanceof ParseError ? (WHY[error.message] ?? error.message) : 'it could not be read';
    throw new ToolError(`"phone" must be a phone number ${EXAMPLES}; "${input}" is not: ${reason}.`);
  }
  if (!parsed.isValid()) {
    const length = validatePhoneNumberLength(text, { defaultCountry: region as CountryCode });
    const reason =
      length === undefined ? `no ${parsed.country ?? region} number starts like that` : (WHY[length] ?? length);
    throw new ToolError(
      `"phone" must be a valid phone number ${EXAMPLES}; "${input}" is not: ${reason}. Numbers without a country code are read as ${region} numbers; pass "country" for another country.`,
    );
  }
  return parsed.number;
}
