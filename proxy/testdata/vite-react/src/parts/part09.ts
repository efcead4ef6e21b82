import { part10 } from "./part10";
// One of the many small modules of a real page (a load has to fetch them all).
export function part09(): number {
  return part10() + 9;
}
