import { part28 } from "./part28";
// One of the many small modules of a real page (a load has to fetch them all).
export function part27(): number {
  return part28() + 27;
}
