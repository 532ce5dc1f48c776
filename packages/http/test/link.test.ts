import { describe, expect, test } from '@jest/globals';
import { nextPageUrl, parseLinkHeader } from '../src/link.js';

describe('parseLinkHeader', () => {
  test('GitHub style', () => {
    const h =
      '<https://api.github.com/repositories/1/releases?per_page=100&page=2>; rel="next", ' +
      '<https://api.github.com/repositories/1/releases?per_page=100&page=3>; rel="last"';
    expect(parseLinkHeader(h)).toEqual({
      next: 'https://api.github.com/repositories/1/releases?per_page=100&page=2',
      last: 'https://api.github.com/repositories/1/releases?per_page=100&page=3',
    });
  });

  test('Gitea style, with prev and first, unquoted rel and several relation types', () => {
    const h =
      '<http://g/api/v1/repos/o/r/releases?limit=50&page=3>; rel="next",<http://g/api/v1/repos/o/r/releases?limit=50&page=4>; rel=last, ' +
      '<http://g/api/v1/repos/o/r/releases?limit=50&page=1>; rel="first prev"';
    const links = parseLinkHeader(h);
    expect(links.next).toBe('http://g/api/v1/repos/o/r/releases?limit=50&page=3');
    expect(links.last).toBe('http://g/api/v1/repos/o/r/releases?limit=50&page=4');
    expect(links.first).toBe('http://g/api/v1/repos/o/r/releases?limit=50&page=1');
    expect(links.prev).toBe('http://g/api/v1/repos/o/r/releases?limit=50&page=1');
  });

  test('commas inside a URL and extra parameters do not split a link', () => {
    const h = '<https://x/a?q=1,2&page=2>; title="a"; rel="next"';
    expect(parseLinkHeader(h).next).toBe('https://x/a?q=1,2&page=2');
  });

  test('missing or empty header', () => {
    expect(parseLinkHeader(undefined)).toEqual({});
    expect(parseLinkHeader('')).toEqual({});
    expect(parseLinkHeader(['<https://x/2>; rel="next"'])).toEqual({ next: 'https://x/2' });
  });

  test('nextPageUrl resolves relative targets against the page URL', () => {
    expect(nextPageUrl('</api/v1/x?page=2>; rel="next"', 'http://h:3000/api/v1/x?page=1')).toBe(
      'http://h:3000/api/v1/x?page=2',
    );
    expect(nextPageUrl('<http://h/x?page=1>; rel="prev"', 'http://h/x?page=2')).toBeUndefined();
  });
});
