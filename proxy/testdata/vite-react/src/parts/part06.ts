import { part07 } from "./part07";
// One of the many small modules of a real page (a load has to fetch them all).
export function part06(): number {
  return part07() + 6;
}
