import type { z } from 'zod';
import type { ContentProblem, YamlFile } from './yamlFile';

/** Turns zod issues into editor-facing problems pointing at the offending line. */
export function zodProblems(file: YamlFile, error: z.ZodError): ContentProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
    const where = path.length ? `"${path.join('.')}" ` : '';
    if (issue.code === 'unrecognized_keys') {
      return file.problemAt(path, `${where}has unknown key(s): ${issue.keys.join(', ')}`);
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) {
      return file.problemAt(path, `"${path.join('.')}" is missing`);
    }
    return file.problemAt(path, `${where}${issue.message}`);
  });
}
