import { describe, expect, it } from 'vitest';
import { coverage, detectableLossRate } from './landed-writes.ts';

describe('coverage of the restored engine', () => {
  it('the detectable per-pod loss rate at 95 %: 1 - 0.05^(1/n)', () => {
    expect(detectableLossRate(0)).toBe(1);
    expect(detectableLossRate(299)).toBeCloseTo(0.01, 3);
    expect(detectableLossRate(30)).toBeCloseTo(0.0950, 3);
    // A pod losing 1 % of 299 writes keeps them all with probability ≤ 5 %.
    expect(Math.pow(0.99, 299)).toBeLessThanOrEqual(0.05);
  });

  it('counts acknowledged writes per named pod; the smallest decides', () => {
    const c = coverage(['a', 'a', 'b', 'c', 'c', 'c'], 3, 2);
    expect(c.okByPod).toEqual({ a: 2, b: 1, c: 3 });
    expect(c.minPerPod).toBe(1);
    expect(c.sufficient).toBe(false);
    expect(c.podsNamed).toBe(true);
  });

  it('an app that names no pod: writes split evenly over the ready replicas, said so', () => {
    const c = coverage(Array(900).fill(undefined), 3, 300);
    expect(c.podsNamed).toBe(false);
    expect(Object.keys(c.okByPod)).toHaveLength(3);
    expect(c.minPerPod).toBe(300);
    expect(c.sufficient).toBe(true);
  });

  it('an app naming one pod for every write (fewer than serve) cannot claim more than an even share per ready replica', () => {
    const c = coverage(Array(900).fill('pod-a'), 3, 300);
    expect(c.okByPod).toEqual({ 'pod-a': 900 });
    expect(c.minPerPod).toBe(300);
    expect(coverage(Array(600).fill('pod-a'), 3, 300).sufficient).toBe(false);
  });
});
