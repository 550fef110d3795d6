/** The baseline of `npm run bench:types`: a file that imports typegrad and does nothing with it. */
import type {} from 'typegrad';
