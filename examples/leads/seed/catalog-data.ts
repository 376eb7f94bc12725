/** Fixed reference rows: the same in every seeded database whatever its scale. */

export const STAGE_KINDS = ['new', 'contacted', 'qualified', 'demo', 'trial', 'negotiation', 'won', 'lost'] as const;
/** A unified stage: every vertical's pipeline maps its own stage names onto these. */
export type StageKind = (typeof STAGE_KINDS)[number];
/** The chance a lead in each stage is eventually won, as the sales team forecasts it. */
export const WIN_PROBABILITY: Record<StageKind, number> = {
  new: 0.02,
  contacted: 0.05,
  qualified: 0.12,
  demo: 0.25,
  trial: 0.45,
  negotiation: 0.7,
  won: 1,
  lost: 0,
};

/** [slug, name, channel, share of leads]. */
export const SOURCES = [
  ['demo-line', 'Inbound call to the demo line', 'inbound_call', 14],
  ['website-demo-form', 'Website demo request', 'web_form', 22],
  ['pricing-page', 'Pricing page form', 'web_form', 8],
  ['live-chat', 'Website chat', 'chat', 6],
  ['google-ads', 'Google Ads', 'paid_search', 14],
  ['meta-ads', 'Facebook and Instagram ads', 'paid_social', 9],
  ['customer-referral', 'Customer referral', 'referral', 7],
  ['partner-referral', 'Partner referral', 'partner', 6],
  ['trade-show', 'Trade show booth', 'event', 5],
  ['outbound-prospecting', 'Outbound prospecting', 'outbound', 9],
] as const;

/** [slug, label] of each reason a deal is lost. */
export const LOST_REASONS = [
  ['price', 'Price too high'],
  ['competitor', 'Chose a competitor'],
  ['no-response', 'Stopped responding'],
  ['not-ready', 'Not ready to switch yet'],
  ['missing-integration', 'Needs an integration we lack'],
  ['voice-quality', 'Concerned about AI voice quality'],
  ['compliance', 'Compliance or legal review blocked it'],
  ['too-small', 'Call volume too small'],
] as const;

/** [name, colour] of the tags reps use. */
export const TAGS = [
  ['hot', '#e5484d'],
  ['multi-location', '#3e63dd'],
  ['after-hours', '#8e4ec6'],
  ['hipaa-review', '#0d74ce'],
  ['bilingual', '#12a594'],
  ['champion-identified', '#30a46c'],
  ['budget-approved', '#46a758'],
  ['competitor-displacement', '#f76b15'],
  ['franchise', '#ffc53d'],
  ['enterprise', '#6e56cf'],
  ['churn-risk', '#dc3e42'],
  ['reference-customer', '#29a383'],
] as const;

/** [name, website] of the vendors leads compare us with. */
export const COMPETITORS = [
  ['Ruby Receptionists', 'ruby.com'],
  ['Smith.ai', 'smith.ai'],
  ['AnswerConnect', 'answerconnect.com'],
  ['Goodcall', 'goodcall.com'],
  ['Weave', 'getweave.com'],
  ['Podium', 'podium.com'],
  ['In-house answering staff', null],
  ['Local answering service', null],
] as const;

/** [name, kind, vertical id or null] of referral partners. */
export const PARTNER_NAMES = [
  ['Dental Growth Partners', 'agency', 1],
  ['American Practice Consultants', 'association', 1],
  ['Brokerage Tech Alliance', 'reseller', 2],
  ['SalonPro Marketing', 'agency', 3],
  ['Hotel Tech Collective', 'integrator', 4],
  ['Contractor Success Network', 'association', 5],
  ['ServiceTitan Marketplace', 'integrator', 5],
  ['Dealer Digital Group', 'reseller', 6],
  ['SMB Voice Resellers', 'reseller', null],
  ['Local Business Alliance', 'association', null],
] as const;

/** [slug, name, monthly price, included minutes, included agents, overage cents/min]. */
export const PLANS = [
  ['starter', 'Starter', 14_900, 500, 1, 35],
  ['growth', 'Growth', 39_900, 2_000, 3, 25],
  ['scale', 'Scale', 99_900, 6_000, 10, 18],
  ['enterprise', 'Enterprise', 249_900, 20_000, 37, 12],
] as const;

/** [key, name, description] of product features. */
export const FEATURES = [
  ['after_hours', 'After-hours answering', 'Agents answer when the business is closed.'],
  ['sms_follow_up', 'SMS follow-up', 'Texts confirmations and follow-ups after calls.'],
  ['calendar_booking', 'Calendar booking', 'Books directly into the business calendar.'],
  ['ehr_integration', 'EHR and PMS integration', 'Reads and writes the practice or property management system.'],
  ['bilingual', 'Bilingual agents', 'English and Spanish on the same number.'],
  ['call_recording', 'Call recording', 'Recordings with PII redaction and retention rules.'],
  ['custom_voice', 'Custom voice', 'A voice and persona built for the brand.'],
  ['sso', 'Single sign-on', 'SAML sign-on for the dashboard.'],
  ['hipaa_baa', 'HIPAA BAA', 'A signed business associate agreement and PHI handling.'],
  ['extra_locations', 'Extra locations', "Locations beyond the plan's first."],
] as const;

/** Feature keys per plan slug, with a limit where the feature is metered. */
export const PLAN_FEATURES: Record<string, readonly (readonly [string, number | null])[]> = {
  starter: [
    ['after_hours', null],
    ['sms_follow_up', 500],
    ['calendar_booking', null],
    ['call_recording', null],
  ],
  growth: [
    ['after_hours', null],
    ['sms_follow_up', 2_000],
    ['calendar_booking', null],
    ['call_recording', null],
    ['bilingual', null],
    ['extra_locations', 3],
  ],
  scale: [
    ['after_hours', null],
    ['sms_follow_up', 10_000],
    ['calendar_booking', null],
    ['call_recording', null],
    ['bilingual', null],
    ['ehr_integration', null],
    ['hipaa_baa', null],
    ['extra_locations', 10],
  ],
  enterprise: [
    ['after_hours', null],
    ['sms_follow_up', null],
    ['calendar_booking', null],
    ['call_recording', null],
    ['bilingual', null],
    ['ehr_integration', null],
    ['hipaa_baa', null],
    ['custom_voice', null],
    ['sso', null],
    ['extra_locations', null],
  ],
};

/** [code, percent off, months or null] of discount codes. */
export const COUPONS = [
  ['LAUNCH20', 20, 3],
  ['ANNUAL15', 15, 12],
  ['PARTNER10', 10, null],
  ['SWITCH25', 25, 6],
  ['EXPO2026', 30, 2],
] as const;

/** [slug, label, connected?]. */
export const DISPOSITIONS = [
  ['connected', 'Connected', true],
  ['demo-booked', 'Demo booked', true],
  ['callback-requested', 'Callback requested', true],
  ['not-interested', 'Not interested', true],
  ['voicemail', 'Left voicemail', false],
  ['no-answer', 'No answer', false],
  ['busy', 'Busy', false],
  ['wrong-number', 'Wrong number', true],
] as const;

/** The integration category each vertical's core system belongs to. */
export const INTEGRATION_CATEGORY: Record<string, string> = {
  healthcare: 'ehr',
  real_estate: 'mls',
  salon: 'salon_pos',
  hospitality: 'pms_hotel',
  home_services: 'field_service',
  automotive: 'dms',
};

/** [name, clearing-house payer id] of insurers. */
export const INSURANCE_CARRIERS = [
  ['Aetna', '60054'],
  ['Blue Cross Blue Shield', '00590'],
  ['Cigna', '62308'],
  ['UnitedHealthcare', '87726'],
  ['Humana', '61101'],
  ['Kaiser Permanente', '94135'],
  ['Delta Dental', '94276'],
  ['MetLife Dental', '65978'],
  ['Medicare', 'MCARE'],
  ['Medicaid', 'MCAID'],
] as const;

/** [name, minutes, new patient?] of appointment kinds. */
export const APPOINTMENT_TYPES = [
  ['New patient exam', 60, true],
  ['Cleaning', 45, false],
  ['Follow-up visit', 20, false],
  ['Annual physical', 40, false],
  ['Telehealth consult', 15, false],
  ['Physical therapy session', 50, false],
  ['Urgent same-day visit', 20, true],
] as const;

/** Sections of a salon menu. */
export const SALON_CATEGORIES = [
  'Cut & style',
  'Color',
  'Treatments',
  'Nails',
  'Skin & facials',
  'Massage',
  'Barbering',
  'Waxing',
] as const;

/** [trade, name, minutes, emergency?] of job kinds. */
export const HOME_SERVICE_TYPES = [
  ['hvac', 'AC not cooling', 90, true],
  ['hvac', 'Furnace tune-up', 60, false],
  ['hvac', 'Heat pump installation', 480, false],
  ['plumbing', 'Water heater replacement', 240, false],
  ['plumbing', 'Burst pipe', 120, true],
  ['plumbing', 'Drain cleaning', 60, false],
  ['electrical', 'Panel upgrade', 360, false],
  ['electrical', 'Outlet not working', 45, false],
  ['electrical', 'Power outage in part of home', 90, true],
  ['roofing', 'Roof leak inspection', 60, true],
  ['pest_control', 'Quarterly pest treatment', 45, false],
  ['landscaping', 'Spring cleanup', 180, false],
  ['garage_doors', 'Broken spring', 90, true],
] as const;

/** [make, model, body style] of vehicles dealers stock. */
export const VEHICLE_MODELS = [
  ['Toyota', 'Camry', 'sedan'],
  ['Toyota', 'RAV4', 'suv'],
  ['Toyota', 'Tacoma', 'truck'],
  ['Honda', 'Civic', 'sedan'],
  ['Honda', 'CR-V', 'suv'],
  ['Ford', 'F-150', 'truck'],
  ['Ford', 'Explorer', 'suv'],
  ['Ford', 'Mustang Mach-E', 'suv'],
  ['Chevrolet', 'Silverado 1500', 'truck'],
  ['Chevrolet', 'Equinox', 'suv'],
  ['Hyundai', 'Tucson', 'suv'],
  ['Kia', 'Telluride', 'suv'],
  ['Subaru', 'Outback', 'wagon'],
  ['Tesla', 'Model Y', 'suv'],
] as const;

/** [key, label, value type, vertical slug or null] of custom lead fields. */
export const CUSTOM_FIELDS = [
  ['current_answering_cost', 'Current answering cost per month (USD)', 'number', null],
  ['decision_date', 'Expected decision date', 'date', null],
  ['uses_spanish', 'Callers often speak Spanish', 'boolean', null],
  ['dso_affiliation', 'DSO affiliation', 'text', 'healthcare'],
  ['mls_board', 'MLS board', 'text', 'real_estate'],
  ['peak_season', 'Peak season', 'text', 'home_services'],
  ['rooftops_in_group', 'Rooftops in dealer group', 'number', 'automotive'],
] as const;
