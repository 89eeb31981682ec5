import { parseCsv, parsePythonStringList, sharedDataDir } from '../../bench/publicData';

describe('bench/publicData parsing', () => {
  it('parses CSV with quoted commas, doubled quotes, new lines and CRLF', () => {
    const text = '\ufeffa,b,c\r\n1,"x, y","he said ""hi"""\r\n2,"line one\nline two",\n3,,last';
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'he said "hi"'],
      ['2', 'line one\nline two', ''],
      ['3', '', 'last'],
    ]);
  });

  it('reads Python string lists, leniently when cut short', () => {
    expect(parsePythonStringList(`['a', "it's", 'say \\'hi\\'', 'tab\\tnew\\nline \\x41\\u00e9']`)).toEqual(['a', "it's", "say 'hi'", 'tab\tnew\nline Aé']);
    expect(parsePythonStringList(`['complete', 'cut sh`)).toEqual(['complete']);
    expect(parsePythonStringList('not a list')).toEqual([]);
  });

  it('finds the shared data next to the project, or where SHARED_DATA_DIR says', () => {
    expect(sharedDataDir('/work/main', {})).toBe('/work/shared/data');
    expect(sharedDataDir('/work/main', { SHARED_DATA_DIR: '/elsewhere/data' })).toBe('/elsewhere/data');
  });
});
