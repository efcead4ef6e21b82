import { part26 } from "./part26";
// One of the many small modules of a real page (a load has to fetch them all).
export function part25(): number {
  return part26() + 25;
}
