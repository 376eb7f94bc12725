import { base, en, en_US, Faker } from '@faker-js/faker';

/**
 * The seed's only source of randomness: a small fast generator for numbers and choices, and a faker instance for
 * names and words, both from one fixed seed. The same seed and the same call order give the same data.
 */
export class Random {
  readonly faker: Faker;
  #state: number;
  readonly #firstNames: readonly string[];
  readonly #lastNames: readonly string[];
  readonly #streets: readonly string[];
  readonly #streetSuffixes: readonly string[];

  constructor(seed: number) {
    this.#state = seed >>> 0 || 1;
    this.faker = new Faker({ locale: [en_US, en, base] });
    this.faker.seed(seed);
    // Names and streets come straight from faker's word lists: its templated helpers cost ~20 µs a call, and a
    // million-lead seed makes tens of millions of them.
    const { person, location } = this.faker.definitions;
    this.#firstNames = person.first_name?.generic ?? [];
    this.#lastNames = person.last_name?.generic ?? [];
    this.#streets = [...this.#lastNames.slice(0, 200), ...(location.city_name ?? []).slice(0, 100)];
    this.#streetSuffixes = [
      'Street',
      'Avenue',
      'Road',
      'Boulevard',
      'Drive',
      'Lane',
      'Way',
      'Court',
      'Place',
      'Parkway',
    ];
  }

  firstName(): string {
    return this.pick(this.#firstNames);
  }

  lastName(): string {
    return this.pick(this.#lastNames);
  }

  fullName(): string {
    return `${this.firstName()} ${this.lastName()}`;
  }

  /** A street name such as "Maple Avenue". */
  street(): string {
    return `${this.pick(this.#streets)} ${this.pick(this.#streetSuffixes)}`;
  }

  /** A street address such as "1420 Maple Avenue". */
  streetAddress(): string {
    return `${this.int(10, 9_899)} ${this.street()}`;
  }

  /** A personal email address such as "jane.doe42@example.net". */
  email(fullName: string): string {
    return `${fullName
      .toLowerCase()
      .replace(/[^a-z ]/g, '')
      .replace(' ', '.')}${this.int(1, 99)}@${this.pick(['example.com', 'example.net', 'example.org'])}`;
  }

  /** A float in [0, 1) (mulberry32). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One of `items`, each as likely as its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of items) total += weight;
    let roll = this.next() * total;
    for (const [item, weight] of items) {
      roll -= weight;
      if (roll < 0) return item;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  }

  /** `count` distinct items of `items` (or all of them when there are fewer). */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const chosen: T[] = [];
    while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(this.int(0, pool.length - 1), 1)[0] as T);
    return chosen;
  }

  /** A duration in days around `mean`, log-normal-ish: mostly near the mean with a long right tail. */
  days(mean: number): number {
    const u = Math.max(this.next(), 1e-9);
    return Math.max(0.02, -Math.log(u) * mean);
  }

  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String(this.int(0, 9));
    return out;
  }
}
