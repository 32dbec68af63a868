import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../scenarios/registry.ts';
import { ScenarioSpecError } from '../scenarios/spec.ts';
import { defaultVariant, planDrill } from './plan.ts';
import { soakOf, type DrillConfigInput } from '../model/drill-config.ts';
import { parseDrillConfig } from './parse.ts';

const registry = await loadScenarios();
const plan = (input: DrillConfigInput) => planDrill(parseDrillConfig(input), registry);

describe('planDrill', () => {
  it.each([
    // Explicit flags win: the profile only fills in what was not given.
    ['pre-release, no --variant: both', { profile: 'pre-release' }, ['seed', 'hardened']],
    ['pre-release --variant hardened: hardened only', { profile: 'pre-release', variant: 'hardened' }, ['hardened']],
    ['pre-release --variant seed: seed only', { profile: 'pre-release', variant: 'seed' }, ['seed']],
    ['monthly, no --variant: hardened', { profile: 'monthly' }, ['hardened']],
    ['monthly --variant seed', { profile: 'monthly', variant: 'seed' }, ['seed']],
    ['quarterly --variant both', { profile: 'quarterly', variant: 'both' }, ['seed', 'hardened']],
    ['no profile, no variant: monthly hardened', {}, ['hardened']],
  ] as const)('%s', (_, input, variants) => {
    expect(plan(input as DrillConfigInput).variants).toEqual(variants);
  });

  it('keeps the variant unset in the config when not given, so the plan can tell', () => {
    expect(parseDrillConfig({ profile: 'pre-release' }).variant).toBeUndefined();
    expect(defaultVariant('pre-release')).toBe('both');
    expect(defaultVariant('post-incident')).toBe('hardened');
  });

  it('selects the scenarios of each profile, and an explicit --scenario', () => {
    expect(plan({ profile: 'pre-release' }).scenarios).toEqual(['database-corruption', 'security-incident', 'performance-issues', 'functionality-broken', 'maintenance-window']);
    expect(plan({ profile: 'pre-release', scenario: 'security-incident' }).scenarios).toEqual(['security-incident']);
    expect(plan({ profile: 'quarterly' }).scenarios).toEqual(['database-corruption', 'maintenance-window']);
    expect(plan({ profile: 'monthly' }).scenarios).toEqual(['database-corruption']);
    expect(plan({ profile: 'post-incident', scenario: 'functionality-broken', variant: 'seed' })).toEqual({ scenarios: ['functionality-broken'], variants: ['seed'] });
  });

  it('refuses a scenario nobody defined, naming the known ones', () => {
    expect(() => plan({ scenario: 'meteor-strike' })).toThrow(ScenarioSpecError);
    expect(() => plan({ scenario: 'meteor-strike' })).toThrow(/unknown scenario "meteor-strike" \(known: database-corruption, security-incident, .*maintenance-window\)/);
  });
});

describe('the stability soak', () => {
  it("defaults to the runbook's hour scaled by --time-scale, never under 30 s; an explicit one is kept and said to be", () => {
    expect(soakOf(parseDrillConfig({}))).toEqual({ sec: 60, explicit: false });
    expect(soakOf(parseDrillConfig({ timeScale: 3600 }))).toEqual({ sec: 30, explicit: false });
    expect(soakOf(parseDrillConfig({ timeScale: 10 }))).toEqual({ sec: 360, explicit: false });
    expect(soakOf(parseDrillConfig({ soakSec: 3 }))).toEqual({ sec: 3, explicit: true });
  });

  it('the pre-release profile refuses a soak under 30 s, in one line naming it', () => {
    expect(() => parseDrillConfig({ profile: 'pre-release', soakSec: 10 })).toThrow(/the pre-release profile refuses a soak under 30 s \(got 10 s\)/);
    expect(parseDrillConfig({ profile: 'pre-release', soakSec: 30 }).soakSec).toBe(30);
  });
});
