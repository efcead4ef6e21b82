import { part22 } from "./part22";
// One of the many small modules of a real page (a load has to fetch them all).
export function part21(): number {
  return part22() + 21;
}
