import { base, en, Faker } from '@faker-js/faker';
import type { CaseSpec } from './cases.js';
import { buildCases } from './cases.js';
import type { AgentSpec, SuiteSpec, VersionSpec } from './catalog.js';
import { AGENTS } from './catalog.js';
import type { SeedRows } from './seed-rows.js';
import { simulateRun } from './simulate-run.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The faker seed of the demo data: the same seed and the same `now` always give the same rows. */
export const DEFAULT_FAKER_SEED = 7922;
/** Nights of history the demo data covers. */
export const NIGHTS = 30;

/** The nightly run time (02:00 UTC) of the newest night that finished at least an hour before `now`. */
export function anchorNight(now: Date): Date {
  const day = Math.floor((now.getTime() - HOUR) / DAY) * DAY;
  const candidate = day + 2 * HOUR;
  return new Date(candidate <= now.getTime() - HOUR ? candidate : candidate - DAY);
}

interface PlannedRun {
  readonly agent: AgentSpec;
  readonly suite: SuiteSpec;
  readonly suiteId: number;
  readonly cases: readonly { id: number; spec: CaseSpec }[];
  readonly version: { id: number; spec: VersionSpec };
  readonly startedAt: Date;
  readonly trigger: 'nightly' | 'deploy';
  /** Nights before the anchor, for nightly runs. */
  readonly night?: number;
}

/** Generates the whole demo data set for `now`, without touching a database. */
export function generateSeed(now: Date, fakerSeed = DEFAULT_FAKER_SEED): SeedRows {
  const faker = new Faker({ locale: [en, base], seed: fakerSeed });
  const anchor = anchorNight(now);
  const at = (daysAgo: number) => new Date(anchor.getTime() - daysAgo * DAY);
  const rows: SeedRows = {
    anchor,
    agents: [],
    agent_versions: [],
    suites: [],
    test_cases: [],
    test_case_checks: [],
    eval_runs: [],
    case_results: [],
    assertions: [],
  };
  const plan: PlannedRun[] = [];
  let suiteIndex = 0;
  for (const agent of AGENTS) {
    const agentId = rows.agents.length + 1;
    const oldest = Math.max(...agent.versions.map((v) => v.releasedDaysAgo));
    rows.agents.push({
      id: agentId,
      slug: agent.slug,
      name: agent.name,
      vertical: agent.vertical,
      description: agent.description,
      created_at: at(oldest + 30).toISOString(),
    });
    const versions = agent.versions.map((spec) => {
      const id = rows.agent_versions.length + 1;
      rows.agent_versions.push({
        id,
        agent_id: agentId,
        version: spec.version,
        prompt_hash: faker.string.hexadecimal({ length: 12, casing: 'lower', prefix: '' }),
        llm_model: spec.llmModel,
        stt_provider: spec.stt[0],
        stt_model: spec.stt[1],
        tts_provider: spec.tts[0],
        tts_voice: spec.tts[1],
        changelog: spec.changelog,
        released_at: at(spec.releasedDaysAgo).toISOString(),
      });
      return { id, spec, releasedAt: at(spec.releasedDaysAgo) };
    });
    for (const suite of agent.suites) {
      const suiteId = rows.suites.length + 1;
      rows.suites.push({
        id: suiteId,
        agent_id: agentId,
        slug: suite.slug,
        name: suite.name,
        description: suite.description,
        schedule: 'nightly',
        created_at: at(oldest + 20).toISOString(),
      });
      const cases = buildCases(faker, agent, suite).map((spec) => {
        const id = rows.test_cases.length + 1;
        const { slug, title, scenario, rubric } = spec;
        rows.test_cases.push({
          id,
          suite_id: suiteId,
          slug,
          title,
          persona: spec.persona.text,
          scenario,
          rubric,
          created_at: at(oldest + 20).toISOString(),
        });
        for (const kind of spec.checks) rows.test_case_checks.push({ test_case_id: id, kind });
        return { id, spec };
      });
      const versionAt = (time: Date) => {
        const released = versions.filter((v) => v.releasedAt <= time);
        return released[released.length - 1] ?? (versions[0] as (typeof versions)[number]);
      };
      // Suites start a few minutes apart so the nightly job does not run them all at once.
      const offset = suiteIndex++ * 7 * 60_000;
      for (let night = NIGHTS - 1; night >= 0; night--) {
        const startedAt = new Date(at(night).getTime() + offset);
        plan.push({
          agent,
          suite,
          suiteId,
          cases,
          version: versionAt(startedAt),
          startedAt,
          trigger: 'nightly',
          night,
        });
      }
      for (const release of versions) {
        const startedAt = new Date(release.releasedAt.getTime() + 25 * 60_000 + offset);
        if (startedAt < at(NIGHTS - 1) || startedAt.getTime() > now.getTime() - HOUR) continue;
        plan.push({ agent, suite, suiteId, cases, version: release, startedAt, trigger: 'deploy' });
      }
    }
  }
  plan.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.suiteId - b.suiteId);
  for (const run of plan) {
    // One night the carrier trunk of the salon line was down: a harness error, not an agent regression.
    const outage = run.agent.slug === 'salon-booking' && run.night === 16;
    simulateRun(faker, rows, { ...run, outage });
  }
  return rows;
}
