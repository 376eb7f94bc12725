import { LOST_REASONS } from './catalog-data.js';
import { between, DAY, dateOnly, HOUR, iso, MINUTE, type SeedContext } from './context.js';
import type { LeadFacts } from './leads.js';
import { callSummary, emailSubject, noteFor, smsBody, type TextFacts, transcriptTurns } from './texts.js';

const AGENT_PERSONAS = ['Ava', 'Max', 'Nora', 'Leo'];

/** The lead's timeline: calls, texts, emails, meetings, notes, tasks and stage changes, plus its contact consent. */
export function generateEngagement(ctx: SeedContext, lead: LeadFacts): void {
  const { rng, anchorMs } = ctx;
  const facts: TextFacts = {
    firstName: lead.firstName,
    company: lead.company.name,
    vertical: lead.vertical,
    locations: lead.company.locations,
    monthlyCalls: lead.monthlyCalls,
    system: rng.pick(lead.vertical.systems),
    painPoint: rng.pick(lead.vertical.painPoints),
  };
  let last = 0;
  const activity = (
    kind: string,
    at: number,
    subject: string,
    ownerId: number | null,
    refs: { call_id?: number; sms_id?: number } = {},
  ) => {
    ctx.rows.add('crm.activities', {
      id: ctx.ids.next('crm.activities'),
      lead_id: lead.id,
      owner_id: ownerId,
      kind,
      occurred_at: iso(at),
      subject,
      call_id: refs.call_id ?? null,
      sms_id: refs.sms_id ?? null,
    });
    last = Math.max(last, at);
  };
  for (const visit of lead.visits) {
    const end = visit.exitedAt ?? Math.min(anchorMs, visit.enteredAt + 30 * DAY);
    const owner =
      visit.kind === 'new' || visit.kind === 'contacted' || visit.kind === 'qualified' ? lead.sdrId : lead.aeId;
    switch (visit.kind) {
      case 'new': {
        if (lead.sourceChannel === 'inbound_call') {
          addCall(ctx, lead, facts, visit.enteredAt, 'inbound', 'connected', true, activity);
        } else {
          const attempts = rng.int(1, 2);
          for (let i = 0; i < attempts; i++) {
            const reachedThem = visit.next === 'contacted' && i === attempts - 1;
            addCall(
              ctx,
              lead,
              facts,
              between(ctx, visit.enteredAt, end),
              'outbound',
              reachedThem ? 'connected' : rng.pick(['voicemail', 'no-answer', 'busy']),
              rng.chance(0.4),
              activity,
            );
          }
          addEmail(ctx, lead, facts, visit.kind, between(ctx, visit.enteredAt, end), owner, 1, activity);
          if (rng.chance(0.5)) addSms(ctx, lead, facts, between(ctx, visit.enteredAt, end), 'outreach', activity);
        }
        break;
      }
      case 'contacted':
        addCall(
          ctx,
          lead,
          facts,
          between(ctx, visit.enteredAt, end),
          'outbound',
          visit.next === 'qualified' ? 'demo-booked' : rng.pick(['connected', 'callback-requested', 'not-interested']),
          false,
          activity,
        );
        if (rng.chance(0.6))
          addNote(ctx, lead, facts, 'contacted', between(ctx, visit.enteredAt, end), owner, activity);
        if (rng.chance(0.6))
          addEmail(ctx, lead, facts, 'contacted', between(ctx, visit.enteredAt, end), owner, 2, activity);
        break;
      case 'qualified':
        addNote(ctx, lead, facts, 'qualified', between(ctx, visit.enteredAt, end), owner, activity);
        addMeeting(
          ctx,
          lead,
          'discovery',
          between(ctx, visit.enteredAt, end),
          visit.exitedAt === undefined ? 'scheduled' : 'held',
          activity,
        );
        if (rng.chance(0.5)) addSms(ctx, lead, facts, between(ctx, visit.enteredAt, end), 'confirmation', activity);
        break;
      case 'demo':
        addMeeting(
          ctx,
          lead,
          'demo',
          between(ctx, visit.enteredAt, end),
          visit.exitedAt === undefined ? 'scheduled' : rng.chance(0.1) ? 'rescheduled' : 'held',
          activity,
        );
        if (rng.chance(0.7)) addNote(ctx, lead, facts, 'demo', between(ctx, visit.enteredAt, end), owner, activity);
        addEmail(ctx, lead, facts, 'demo', between(ctx, visit.enteredAt, end), owner, null, activity);
        break;
      case 'trial':
        addSms(ctx, lead, facts, between(ctx, visit.enteredAt, end), 'trial', activity);
        addCall(ctx, lead, facts, between(ctx, visit.enteredAt, end), 'outbound', 'connected', false, activity);
        addNote(ctx, lead, facts, 'trial', between(ctx, visit.enteredAt, end), owner, activity);
        addEmail(ctx, lead, facts, 'trial', visit.enteredAt + HOUR, owner, null, activity);
        break;
      case 'negotiation':
        addEmail(ctx, lead, facts, 'negotiation', between(ctx, visit.enteredAt, end), owner, null, activity);
        addCall(ctx, lead, facts, between(ctx, visit.enteredAt, end), 'outbound', 'connected', false, activity);
        if (rng.chance(0.6))
          addNote(ctx, lead, facts, 'negotiation', between(ctx, visit.enteredAt, end), owner, activity);
        break;
      case 'won':
        addNote(ctx, lead, facts, 'won', visit.enteredAt + 2 * HOUR, owner, activity);
        break;
      case 'lost': {
        const reasonId = lead.row.lost_reason_id as number;
        addNote(ctx, lead, facts, 'lost', visit.enteredAt + HOUR, owner, activity, LOST_REASONS[reasonId - 1]?.[1]);
        break;
      }
    }
    if (visit.exitedAt !== undefined && visit.next === 'won')
      activity('stage_change', visit.exitedAt, 'Stage: won', owner);
    addTask(ctx, lead, visit.kind, visit.enteredAt, visit.exitedAt, owner);
  }
  lead.row.last_activity_at = last === 0 ? null : iso(last);
  addConsent(ctx, lead);
}

type Activity = (
  kind: string,
  at: number,
  subject: string,
  ownerId: number | null,
  refs?: { call_id?: number; sms_id?: number },
) => void;

function addCall(
  ctx: SeedContext,
  lead: LeadFacts,
  facts: TextFacts,
  at: number,
  direction: 'inbound' | 'outbound',
  disposition: string,
  byAgent: boolean,
  activity: Activity,
): void {
  const { rng, ids, rows, catalog, anchorMs } = ctx;
  const id = ids.next('voice.calls');
  const connected = ['connected', 'demo-booked', 'callback-requested', 'not-interested', 'wrong-number'].includes(
    disposition,
  );
  const agent = catalog.salesAgent;
  const version =
    agent.versionIds[
      Math.min(
        agent.versionIds.length - 1,
        Math.floor(((at - (anchorMs - 800 * DAY)) / (800 * DAY)) * agent.versionIds.length),
      )
    ]!;
  const agentHandled = byAgent || direction === 'inbound';
  const seconds = connected ? rng.int(90, 900) : disposition === 'voicemail' ? rng.int(25, 50) : rng.int(10, 30);
  const answeredAt = connected ? at + rng.int(2, 15) * 1_000 : null;
  rows.add('voice.calls', {
    id,
    lead_id: lead.id,
    phone_number_id: lead.phoneId,
    telephony_number_id:
      direction === 'inbound' ? catalog.demoLineByVertical.get(lead.vertical.id)! : rng.pick(catalog.outboundNumberIds),
    agent_version_id: agentHandled ? version : null,
    owner_id: agentHandled ? null : (lead.row.owner_id ?? lead.sdrId),
    direction,
    disposition_id: catalog.dispositions.get(disposition)!,
    started_at: iso(at),
    answered_at: answeredAt === null ? null : iso(answeredAt),
    ended_at: iso(at + seconds * 1_000),
    cost_cents: Math.ceil(seconds / 60) * (agentHandled ? 9 : 2),
    carrier_call_sid: `CA${(Math.imul(id, 2_654_435_761) >>> 0).toString(16).padStart(8, '0')}${id.toString(16).padStart(24, '0')}`,
  });
  const booked = disposition === 'demo-booked' || (direction === 'inbound' && rng.chance(0.5));
  activity(
    'call',
    at,
    `${direction === 'inbound' ? 'Inbound' : 'Outbound'} call: ${disposition.replace('-', ' ')}`,
    agentHandled ? null : lead.sdrId,
    { call_id: id },
  );
  if (connected && (agentHandled || rng.chance(0.5))) {
    const persona = agentHandled ? rng.pick(AGENT_PERSONAS) : String(lead.row.owner_id ? 'your rep' : 'the team');
    rows.add('voice.call_transcripts', {
      call_id: id,
      language: 'en-US',
      turns: transcriptTurns(rng, facts, persona, booked),
      summary: callSummary(facts, booked),
      sentiment: rng.weighted([
        ['positive', 5],
        ['neutral', 4],
        ['negative', 1],
      ] as const),
    });
    rows.add('voice.call_recordings', {
      call_id: id,
      storage_key: `recordings/${new Date(at).toISOString().slice(0, 7)}/${id}.opus`,
      duration_seconds: seconds,
      is_pii_redacted: rng.chance(0.9),
      expires_at: iso(at + 365 * DAY),
    });
  }
  if (connected && agentHandled) {
    for (const toolId of rng.sample(agent.toolIds, rng.int(1, 3))) {
      rows.add('voice.call_tool_invocations', {
        id: ids.next('voice.call_tool_invocations'),
        call_id: id,
        tool_id: toolId,
        at_ms: rng.int(5_000, seconds * 900),
        latency_ms: rng.int(80, 1_400),
        succeeded: rng.chance(0.96),
        arguments: { lead_id: lead.id },
      });
    }
    if (rng.chance(0.12)) {
      rows.add('voice.call_handoffs', {
        id: ids.next('voice.call_handoffs'),
        call_id: id,
        to_owner_id: lead.sdrId,
        to_agent_id: null,
        reason: rng.pick(['asked_for_human', 'pricing_question', 'technical_question'] as const),
        at_ms: rng.int(20_000, seconds * 900),
      });
    }
  }
  if (disposition === 'callback-requested') {
    rows.add('voice.callback_requests', {
      id: ids.next('voice.callback_requests'),
      lead_id: lead.id,
      phone_number_id: lead.phoneId,
      requested_on_call_id: id,
      requested_for: iso(at + rng.int(2, 48) * HOUR),
      fulfilled_by_call_id: null,
      note: rng.pick(['After 4 pm', 'Tomorrow morning', 'Call the office line instead']),
    });
  }
  if (direction === 'outbound' && disposition === 'voicemail' && rng.chance(0.15)) {
    // The lead called back and reached our voicemail.
    const back = ids.next('voice.calls');
    const backAt = at + rng.int(1, 30) * HOUR;
    rows.add('voice.calls', {
      id: back,
      lead_id: lead.id,
      phone_number_id: lead.phoneId,
      telephony_number_id: catalog.demoLineByVertical.get(lead.vertical.id)!,
      agent_version_id: version,
      owner_id: null,
      direction: 'inbound',
      disposition_id: catalog.dispositions.get('voicemail')!,
      started_at: iso(backAt),
      answered_at: null,
      ended_at: iso(backAt + 40_000),
      cost_cents: 1,
      carrier_call_sid: `CA${back.toString(16).padStart(32, '0')}`,
    });
    rows.add('voice.voicemails', {
      id: ids.next('voice.voicemails'),
      call_id: back,
      duration_seconds: rng.int(12, 38),
      transcript: `Hi, this is ${lead.firstName} from ${lead.company.name} returning your call. Best number is this one.`,
      listened_at: rng.chance(0.8) ? iso(backAt + rng.int(1, 20) * HOUR) : null,
    });
    activity('call', backAt, 'Inbound call: voicemail', null, { call_id: back });
  }
}

function addSms(
  ctx: SeedContext,
  lead: LeadFacts,
  facts: TextFacts,
  at: number,
  kind: 'outreach' | 'confirmation' | 'trial',
  activity: Activity,
): void {
  const { rng, ids, rows, catalog } = ctx;
  const id = ids.next('voice.sms_messages');
  const smsNumber = catalog.smsNumberId;
  rows.add('voice.sms_messages', {
    id,
    lead_id: lead.id,
    phone_number_id: lead.phoneId,
    telephony_number_id: smsNumber,
    agent_id: catalog.salesAgent.id,
    direction: 'outbound',
    body: smsBody(rng, facts, kind),
    status: rng.chance(0.95) ? 'delivered' : 'failed',
    sent_at: iso(at),
    delivered_at: iso(at + 4_000),
  });
  activity('sms', at, `Text: ${kind}`, null, { sms_id: id });
  if (rng.chance(0.35)) {
    const reply = ids.next('voice.sms_messages');
    const replyAt = at + rng.int(2, 240) * MINUTE;
    rows.add('voice.sms_messages', {
      id: reply,
      lead_id: lead.id,
      phone_number_id: lead.phoneId,
      telephony_number_id: smsNumber,
      agent_id: null,
      direction: 'inbound',
      body: smsBody(rng, facts, 'reply'),
      status: 'received',
      sent_at: iso(replyAt),
      delivered_at: iso(replyAt),
    });
    activity('sms', replyAt, 'Text reply', null, { sms_id: reply });
  }
}

function addEmail(
  ctx: SeedContext,
  lead: LeadFacts,
  facts: TextFacts,
  stage: Parameters<typeof emailSubject>[1],
  at: number,
  ownerId: number,
  step: number | null,
  activity: Activity,
): void {
  if (lead.emailId === undefined) return;
  const { rng, ids, rows } = ctx;
  const subject = emailSubject(rng, stage, facts);
  const opened = rng.chance(0.55) ? at + rng.int(5, 600) * MINUTE : null;
  rows.add('crm.email_messages', {
    id: ids.next('crm.email_messages'),
    lead_id: lead.id,
    email_address_id: lead.emailId,
    owner_id: ownerId,
    direction: 'outbound',
    subject,
    sent_at: iso(at),
    opened_at: opened === null ? null : iso(opened),
    clicked_at: opened !== null && rng.chance(0.3) ? iso(opened + 30_000) : null,
    sequence_step: step,
  });
  activity('email', at, `Email: ${subject}`, ownerId);
}

function addNote(
  ctx: SeedContext,
  lead: LeadFacts,
  facts: TextFacts,
  stage: Parameters<typeof noteFor>[1],
  at: number,
  ownerId: number,
  activity: Activity,
  lostReason?: string,
): void {
  const { rng, ids, rows } = ctx;
  const body = noteFor(rng, stage, facts, lostReason);
  rows.add('crm.notes', {
    id: ids.next('crm.notes'),
    lead_id: lead.id,
    author_owner_id: ownerId,
    body,
    is_pinned: stage === 'qualified' && rng.chance(0.3),
    created_at: iso(at),
  });
  activity('note', at, body.length > 80 ? `${body.slice(0, 77)}...` : body, ownerId);
}

function addMeeting(
  ctx: SeedContext,
  lead: LeadFacts,
  kind: 'discovery' | 'demo',
  at: number,
  status: string,
  activity: Activity,
): void {
  const { rng, ids, rows, catalog } = ctx;
  const bookedByAgent = rng.chance(0.45);
  rows.add('crm.meetings', {
    id: ids.next('crm.meetings'),
    lead_id: lead.id,
    owner_id: kind === 'demo' ? lead.aeId : lead.sdrId,
    kind,
    scheduled_at: iso(at),
    duration_minutes: kind === 'demo' ? 30 : 15,
    status,
    booked_by_agent_id: bookedByAgent ? catalog.salesAgent.id : null,
  });
  activity(
    'meeting',
    at,
    `${kind === 'demo' ? 'Demo' : 'Discovery call'} (${status})`,
    kind === 'demo' ? lead.aeId : lead.sdrId,
  );
}

function addTask(
  ctx: SeedContext,
  lead: LeadFacts,
  stage: string,
  enteredAt: number,
  exitedAt: number | undefined,
  ownerId: number,
): void {
  const { rng, ids, rows, anchorMs } = ctx;
  if (stage === 'won' || stage === 'lost' || (exitedAt !== undefined && rng.chance(0.5))) return;
  const titles: Record<string, string> = {
    new: 'Call new lead',
    contacted: 'Send recap and book discovery',
    qualified: 'Prepare demo',
    demo: 'Send pricing',
    trial: 'Trial check-in call',
    negotiation: 'Chase signature',
  };
  const due = exitedAt ?? Math.max(enteredAt + 2 * DAY, anchorMs + rng.int(-5, 7) * DAY);
  rows.add('crm.tasks', {
    id: ids.next('crm.tasks'),
    lead_id: lead.id,
    assignee_owner_id: ownerId,
    title: titles[stage] ?? 'Follow up',
    priority: rng.weighted([
      ['low', 1],
      ['normal', 6],
      ['high', 2],
      ['urgent', 1],
    ] as const),
    due_at: iso(due),
    completed_at: exitedAt === undefined ? null : iso(exitedAt - HOUR),
    created_at: iso(enteredAt),
  });
}

function addConsent(ctx: SeedContext, lead: LeadFacts): void {
  const { rng, ids, rows } = ctx;
  const createdAt = lead.row.created_at as number;
  const viaCall = lead.sourceChannel === 'inbound_call';
  const optOut = rng.chance(0.04);
  rows.add('crm.consent_records', {
    id: ids.next('crm.consent_records'),
    lead_id: lead.id,
    phone_number_id: lead.phoneId,
    email_address_id: null,
    channel: 'voice',
    consent_type: viaCall ? 'express_oral' : lead.sourceChannel === 'outbound' ? 'implied' : 'express_written',
    captured_via: viaCall ? 'recorded_call' : lead.sourceChannel === 'outbound' ? 'rep_entry' : 'web_form',
    granted_at: iso(createdAt),
    revoked_at: optOut ? iso(createdAt + rng.int(3, 90) * DAY) : null,
  });
  if (rng.chance(0.6)) {
    rows.add('crm.consent_records', {
      id: ids.next('crm.consent_records'),
      lead_id: lead.id,
      phone_number_id: lead.phoneId,
      email_address_id: null,
      channel: 'sms',
      consent_type: optOut ? 'opt_out' : 'express_written',
      captured_via: optOut ? 'sms_keyword' : 'web_form',
      granted_at: iso(createdAt + HOUR),
      revoked_at: null,
    });
  }
  if (lead.emailId !== undefined && rng.chance(0.3)) {
    rows.add('crm.consent_records', {
      id: ids.next('crm.consent_records'),
      lead_id: lead.id,
      phone_number_id: null,
      email_address_id: lead.emailId,
      channel: 'email',
      consent_type: 'express_written',
      captured_via: 'web_form',
      granted_at: iso(createdAt),
      revoked_at: null,
    });
  }
  const list = optOut ? 'internal' : rng.chance(0.02) ? 'national_dnc' : rng.chance(0.0005) ? 'litigator' : undefined;
  if (list !== undefined) {
    rows.add('crm.do_not_call_entries', {
      id: ids.next('crm.do_not_call_entries'),
      phone_number_id: lead.phoneId,
      list,
      listed_on: dateOnly(createdAt - rng.int(0, 900) * DAY),
      removed_on: null,
    });
  }
}
