// A test-only report format (format-registry.test.ts lists this folder beside formats/): one new
// file and no other edit. Writes the verdict's headline, then the files rendered before it.
import path from 'node:path';
import { textFormat } from '../renderer.ts';

export default textFormat({
  id: 'headline-fixture',
  file: 'headline.txt',
  order: 95,
  render: (r, ctx) => [r.verdict.headline, ...ctx.written.map((f) => path.basename(f))].join('\n') + '\n',
});
