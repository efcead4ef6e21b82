import { part27 } from "./part27";
// One of the many small modules of a real page (a load has to fetch them all).
export function part26(): number {
  return part27() + 26;
}
