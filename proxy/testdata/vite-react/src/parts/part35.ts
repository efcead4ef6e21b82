// One of the many small modules of a real page (a load has to fetch them all).
export function part35(): number {
  return 35;
}
