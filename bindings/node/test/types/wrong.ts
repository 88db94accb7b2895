// Mistakes the declarations must refuse: each line is one error tsc reports.
import { diagnose, plan, Classifier } from '../../index';

diagnose('x', { stage: 'build' });
plan(diagnose('x'), { format: 'yaml' });
const text: string = plan(diagnose('x'));
new Classifier().push(42);
export { text };
