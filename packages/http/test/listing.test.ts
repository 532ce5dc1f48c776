import { describe, expect, test } from '@jest/globals';
import { parseListing } from '../src/listing.js';

describe('parseListing', () => {
  test("python.org's nginx autoindex: folders with their slash, files, no parent link", () => {
    const html = [
      '<html>',
      '<head><title>Index of /ftp/python/</title></head>',
      '<body>',
      '<h1>Index of /ftp/python/</h1><hr><pre><a href="../">../</a>',
      '<a href="3.11.10/">3.11.10/</a>                                           03-Sep-2024 12:19                   -',
      '<a href="3.11.9/">3.11.9/</a>                                            02-Apr-2024 19:22                   -',
      '<a href="index-windows.json">index-windows.json</a>                                 26-Nov-2024 20:35              120133',
      '</pre><hr></body>',
      '</html>',
    ].join('\r\n');
    expect(parseListing(html, 'https://www.python.org/ftp/python/')).toEqual([
      '3.11.10/',
      '3.11.9/',
      'index-windows.json',
    ]);
  });

  test('Apache: sort links, the parent directory (root-relative) and icons are no entries', () => {
    const html = `<table>
<tr><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th></tr>
<tr><td><img src="/icons/back.gif" alt="[PARENTDIR]"></td><td><a href="/pub/">Parent Directory</a></td></tr>
<tr><td><a href='cpython-3.11.9%2B20240726-x86_64-unknown-linux-gnu-install_only.tar.gz'>cpython-3.11.9+2024...&gt;</a></td></tr>
<tr><td><a HREF=sub/>sub/</a></td></tr>
</table>`;
    expect(parseListing(html, 'http://mirror.example/pub/python/')).toEqual([
      'cpython-3.11.9+20240726-x86_64-unknown-linux-gnu-install_only.tar.gz',
      'sub/',
    ]);
  });

  test('absolute links count when they point straight into the folder on the same origin', () => {
    const html = [
      '<a href="/ftp/python/3.12.10/">3.12.10/</a>',
      '<a href="http://mirror.example/ftp/python/3.13.1/">3.13.1/</a>',
      '<a href="https://elsewhere.example/ftp/python/3.14.0/">elsewhere</a>',
      '<a href="//cdn.example/ftp/python/3.9.0/">protocol-relative</a>',
      '<a href="/ftp/python/3.12.10/amd64/">deeper</a>',
      '<a href="/ftp/">up</a>',
      '<a href="mailto:webmaster@mirror.example">mail</a>',
      '<a href="#top">top</a>',
    ].join('\n');
    expect(parseListing(html, 'http://mirror.example/ftp/python/')).toEqual(['3.12.10/', '3.13.1/']);
  });

  test('a page URL without its trailing slash, entities and repeats', () => {
    const html = '<a href="a&amp;b.zip">a&amp;b</a> <a href="./c%20d/">c d/</a> <a href="c%20d/">again</a>';
    expect(parseListing(html, 'http://mirror.example/files')).toEqual(['a&b.zip', 'c d/']);
  });

  test('names that would escape the folder once decoded are dropped', () => {
    const html =
      '<a href="..%2Fetc/">x</a> <a href="%2e%2e/">y</a> <a href="%E0%A4%A">bad</a> <a href="ok">ok</a>';
    expect(parseListing(html, 'http://mirror.example/files/')).toEqual(['ok']);
  });
});
