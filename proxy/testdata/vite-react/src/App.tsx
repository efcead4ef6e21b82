import { useState } from "react";
import invariant from "tiny-invariant";
import { parsePrice, type Price } from "./price";

type Props = Record<string, never>;

export function App(_props: Props) {
  const [price, setPrice] = useState<Price | null>(null);

  function buy() {
    const p = parsePrice("twelve"); // @at click-outer parsePrice
    setPrice(p);
  }

  function sync() {
    // Nothing listens there: the request fails.
    fetch("http://127.0.0.1:9/sync").catch(() => setPrice(null)); // @at fetch fetch
  }

  function check() {
    invariant(price !== null, "no price chosen"); // @at library invariant
  }

  return (
    <main>
      <h1>Shop</h1>
      <p>{price ? price.cents : "no price"}</p>
      <button id="buy" onClick={buy}>
        Buy
      </button>
      <button id="check" onClick={check}>
        Check
      </button>
      <button id="sync" onClick={sync}>
        Sync
      </button>
    </main>
  );
}
