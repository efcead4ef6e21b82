import { part05 } from "./part05";
// One of the many small modules of a real page (a load has to fetch them all).
export function part04(): number {
  return part05() + 4;
}
