import { describe, expect, it } from 'vitest';
import {
  degrees,
  fixed,
  formatDuration,
  formatNumber,
  interval,
  join,
  level,
  percent,
  prose,
  render,
  sci,
  sig,
  text,
} from '../../src/core/format.js';

describe('formatNumber, the one number formatter of tables and terminals', () => {
  it('never prints NaN or Infinity, and prints integers (seeds) exactly', () => {
    for (const bad of [null, undefined, Number.NaN, Infinity, -Infinity]) expect(formatNumber(bad)).toBe('—');
    expect(formatNumber(1828011727)).toBe('1828011727');
    expect(formatNumber(0.0809145603646641)).toBe('0.0809146');
    expect(formatNumber(8.301492001134912e-6)).toBe('8.30149e-6');
    expect(formatNumber(1e-6)).toBe('1e-6');
    expect(formatNumber(0)).toBe('0');
  });

  it('takes the number of significant digits (the terminal asks for 10)', () => {
    expect(formatNumber(0.0809145603646641, 10)).toBe('0.08091456036');
    expect(formatNumber(2 / 3, 3)).toBe('0.667');
  });

  it('formats durations from milliseconds to hours', () => {
    expect(formatDuration(12.5)).toBe('13 ms');
    expect(formatDuration(61234)).toBe('1 min 01 s');
    expect(formatDuration(3_725_000)).toBe('1 h 02 min 05 s');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});

describe('templates: prose with typed numbers', () => {
  it('render each style as its name says', () => {
    expect(
      render(
        text`a ${fixed(0.12345, 3)} b ${sig(0.12345, 2)} c ${sci(12345, 1)} d ${percent(0.5, 0)} e ${degrees(12.34, 1)}`,
      ),
    ).toBe('a 0.123 b 0.12 c 1.2e+4 d 50% e 12.3°');
  });

  it('print integers exactly and other plain numbers to ten digits', () => {
    expect(render(text`${25} cases, ε = ${0.1}, ${1 / 3}`)).toBe('25 cases, ε = 0.1, 0.3333333333');
  });

  it('show a missing or non-finite number as — , never NaN', () => {
    expect(render(text`${fixed(Number.NaN, 3)} ${null} ${sig(Infinity, 2)}`)).toBe('— — —');
  });

  it('join lists, nest templates and write intervals', () => {
    const f2 = (x: number | null) => fixed(x, 2);
    expect(render(join([text`x ${f2(1)}`, text`y ${f2(2)}`], '; '))).toBe('x 1.00; y 2.00');
    expect(render(text`${[1, 2, 3]}`)).toBe('1, 2, 3');
    expect(render(join([]))).toBe('');
    expect(render(interval(0.1, 0.25, f2))).toBe('[0.10, 0.25]');
    expect(render(prose('plain'))).toBe('plain');
  });

  it('write levels close to 1 as 1 − 10^-k', () => {
    expect(render(level(1 - 1e-6))).toBe('1 − 1e-6');
    expect(render(level(0.999))).toBe('1 − 1e-3');
    expect(render(level(0.95))).toBe('0.95');
  });
});
