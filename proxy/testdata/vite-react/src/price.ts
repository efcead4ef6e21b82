export interface Price {
  cents: number;
}

export function parsePrice(text: string): Price {
  const cents = Math.round(Number(text) * 100);
  if (Number.isNaN(cents)) {
    throw new RangeError(`not a price: ${text}`); // @at click new
  }
  return { cents };
}
