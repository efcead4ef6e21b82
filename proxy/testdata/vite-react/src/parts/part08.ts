import { part09 } from "./part09";
// One of the many small modules of a real page (a load has to fetch them all).
export function part08(): number {
  return part09() + 8;
}
