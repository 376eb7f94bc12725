/** A metro area leads are generated in: its phone area codes and where its sales team sits. */
export interface City {
  readonly name: string;
  readonly region: string;
  readonly country: 'US' | 'CA' | 'GB';
  readonly areaCodes: readonly string[];
  readonly timezone: string;
  readonly lat: number;
  readonly lng: number;
  readonly postal: string;
  /** east or west half of the sales org; international leads go to the international team. */
  readonly half: 'east' | 'west' | 'international';
}

const us = (
  name: string,
  region: string,
  areaCodes: string[],
  timezone: string,
  lat: number,
  lng: number,
  postal: string,
  half: 'east' | 'west',
): City => ({ name, region, country: 'US', areaCodes, timezone, lat, lng, postal, half });

/** Real metros with their real area codes; weights follow roughly how many small businesses each has. */
export const CITIES: readonly (readonly [City, number])[] = [
  [us('New York', 'NY', ['212', '646', '718', '917', '347'], 'America/New_York', 40.7128, -74.006, '100', 'east'), 10],
  [us('Brooklyn', 'NY', ['718', '347', '929'], 'America/New_York', 40.6782, -73.9442, '112', 'east'), 4],
  [us('Boston', 'MA', ['617', '857'], 'America/New_York', 42.3601, -71.0589, '021', 'east'), 4],
  [us('Philadelphia', 'PA', ['215', '267'], 'America/New_York', 39.9526, -75.1652, '191', 'east'), 4],
  [us('Pittsburgh', 'PA', ['412'], 'America/New_York', 40.4406, -79.9959, '152', 'east'), 2],
  [us('Baltimore', 'MD', ['410', '443'], 'America/New_York', 39.2904, -76.6122, '212', 'east'), 2],
  [us('Washington', 'DC', ['202'], 'America/New_York', 38.9072, -77.0369, '200', 'east'), 3],
  [us('Richmond', 'VA', ['804'], 'America/New_York', 37.5407, -77.436, '232', 'east'), 2],
  [us('Charlotte', 'NC', ['704', '980'], 'America/New_York', 35.2271, -80.8431, '282', 'east'), 3],
  [us('Raleigh', 'NC', ['919', '984'], 'America/New_York', 35.7796, -78.6382, '276', 'east'), 2],
  [us('Atlanta', 'GA', ['404', '470', '678'], 'America/New_York', 33.749, -84.388, '303', 'east'), 5],
  [us('Miami', 'FL', ['305', '786'], 'America/New_York', 25.7617, -80.1918, '331', 'east'), 5],
  [us('Orlando', 'FL', ['407', '321'], 'America/New_York', 28.5383, -81.3792, '328', 'east'), 3],
  [us('Tampa', 'FL', ['813'], 'America/New_York', 27.9506, -82.4572, '336', 'east'), 3],
  [us('Jacksonville', 'FL', ['904'], 'America/New_York', 30.3322, -81.6557, '322', 'east'), 2],
  [us('Nashville', 'TN', ['615', '629'], 'America/Chicago', 36.1627, -86.7816, '372', 'east'), 3],
  [us('Columbus', 'OH', ['614', '380'], 'America/New_York', 39.9612, -82.9988, '432', 'east'), 2],
  [us('Cleveland', 'OH', ['216'], 'America/New_York', 41.4993, -81.6944, '441', 'east'), 2],
  [us('Detroit', 'MI', ['313'], 'America/Detroit', 42.3314, -83.0458, '482', 'east'), 2],
  [us('Indianapolis', 'IN', ['317'], 'America/Indiana/Indianapolis', 39.7684, -86.1581, '462', 'east'), 2],
  [us('Chicago', 'IL', ['312', '773', '872'], 'America/Chicago', 41.8781, -87.6298, '606', 'east'), 7],
  [us('Milwaukee', 'WI', ['414'], 'America/Chicago', 43.0389, -87.9065, '532', 'east'), 1],
  [us('Minneapolis', 'MN', ['612', '952'], 'America/Chicago', 44.9778, -93.265, '554', 'west'), 2],
  [us('St. Louis', 'MO', ['314'], 'America/Chicago', 38.627, -90.1994, '631', 'west'), 2],
  [us('Kansas City', 'MO', ['816'], 'America/Chicago', 39.0997, -94.5786, '641', 'west'), 2],
  [us('Dallas', 'TX', ['214', '469', '972'], 'America/Chicago', 32.7767, -96.797, '752', 'west'), 6],
  [us('Fort Worth', 'TX', ['817', '682'], 'America/Chicago', 32.7555, -97.3308, '761', 'west'), 2],
  [us('Houston', 'TX', ['713', '281', '832'], 'America/Chicago', 29.7604, -95.3698, '770', 'west'), 6],
  [us('Austin', 'TX', ['512', '737'], 'America/Chicago', 30.2672, -97.7431, '787', 'west'), 3],
  [us('San Antonio', 'TX', ['210', '726'], 'America/Chicago', 29.4241, -98.4936, '782', 'west'), 3],
  [us('Oklahoma City', 'OK', ['405'], 'America/Chicago', 35.4676, -97.5164, '731', 'west'), 1],
  [us('Denver', 'CO', ['303', '720'], 'America/Denver', 39.7392, -104.9903, '802', 'west'), 3],
  [us('Salt Lake City', 'UT', ['801', '385'], 'America/Denver', 40.7608, -111.891, '841', 'west'), 2],
  [us('Phoenix', 'AZ', ['602', '480', '623'], 'America/Phoenix', 33.4484, -112.074, '850', 'west'), 5],
  [us('Tucson', 'AZ', ['520'], 'America/Phoenix', 32.2226, -110.9747, '857', 'west'), 1],
  [us('Las Vegas', 'NV', ['702', '725'], 'America/Los_Angeles', 36.1699, -115.1398, '891', 'west'), 3],
  [
    us(
      'Los Angeles',
      'CA',
      ['213', '310', '323', '424', '818'],
      'America/Los_Angeles',
      34.0522,
      -118.2437,
      '900',
      'west',
    ),
    9,
  ],
  [us('San Diego', 'CA', ['619', '858'], 'America/Los_Angeles', 32.7157, -117.1611, '921', 'west'), 4],
  [us('Irvine', 'CA', ['949', '714'], 'America/Los_Angeles', 33.6846, -117.8265, '926', 'west'), 2],
  [us('San Francisco', 'CA', ['415', '628'], 'America/Los_Angeles', 37.7749, -122.4194, '941', 'west'), 4],
  [us('San Jose', 'CA', ['408', '669'], 'America/Los_Angeles', 37.3382, -121.8863, '951', 'west'), 3],
  [us('Oakland', 'CA', ['510', '341'], 'America/Los_Angeles', 37.8044, -122.2712, '946', 'west'), 2],
  [us('Sacramento', 'CA', ['916', '279'], 'America/Los_Angeles', 38.5816, -121.4944, '958', 'west'), 2],
  [us('Portland', 'OR', ['503', '971'], 'America/Los_Angeles', 45.5152, -122.6784, '972', 'west'), 2],
  [us('Seattle', 'WA', ['206', '425'], 'America/Los_Angeles', 47.6062, -122.3321, '981', 'west'), 4],
  [
    {
      name: 'Toronto',
      region: 'ON',
      country: 'CA',
      areaCodes: ['416', '647'],
      timezone: 'America/Toronto',
      lat: 43.6532,
      lng: -79.3832,
      postal: 'M5V',
      half: 'east',
    },
    3,
  ],
  [
    {
      name: 'Vancouver',
      region: 'BC',
      country: 'CA',
      areaCodes: ['604', '778'],
      timezone: 'America/Vancouver',
      lat: 49.2827,
      lng: -123.1207,
      postal: 'V6B',
      half: 'west',
    },
    2,
  ],
  [
    {
      name: 'Calgary',
      region: 'AB',
      country: 'CA',
      areaCodes: ['403', '587'],
      timezone: 'America/Edmonton',
      lat: 51.0447,
      lng: -114.0719,
      postal: 'T2P',
      half: 'west',
    },
    1,
  ],
  [
    {
      name: 'London',
      region: 'LND',
      country: 'GB',
      areaCodes: ['20'],
      timezone: 'Europe/London',
      lat: 51.5074,
      lng: -0.1278,
      postal: 'EC1A',
      half: 'international',
    },
    2,
  ],
  [
    {
      name: 'Manchester',
      region: 'MAN',
      country: 'GB',
      areaCodes: ['161'],
      timezone: 'Europe/London',
      lat: 53.4808,
      lng: -2.2426,
      postal: 'M1',
      half: 'international',
    },
    1,
  ],
];

/** Makes distinct, valid-looking phone numbers per area code: a counter walked through a fixed permutation. */
export class PhoneNumberFactory {
  readonly #used = new Map<string, number>();

  next(city: City, areaCode: string): string {
    for (;;) {
      const count = this.#used.get(areaCode) ?? 0;
      this.#used.set(areaCode, count + 1);
      // 7,919 is prime and coprime with 8,000,000, so this visits every local number once per area code.
      const local = (count * 7_919 + 1_234_567) % 8_000_000;
      const exchange = 200 + Math.floor(local / 10_000);
      const line = String(local % 10_000).padStart(4, '0');
      if (exchange % 100 === 11 || exchange === 555 || exchange === 950 || exchange === 958 || exchange === 959) {
        continue;
      }
      if (city.country === 'GB')
        return areaCode === '20' ? `+4420${7000 + Math.floor(local / 10_000)}${line}` : `+44161${exchange}${line}`;
      return `+1${areaCode}${exchange}${line}`;
    }
  }
}
