import { part30 } from "./part30";
// One of the many small modules of a real page (a load has to fetch them all).
export function part29(): number {
  return part30() + 29;
}
