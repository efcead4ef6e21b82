import { part35 } from "./part35";
// One of the many small modules of a real page (a load has to fetch them all).
export function part34(): number {
  return part35() + 34;
}
