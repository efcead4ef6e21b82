import invariant from "tiny-invariant";
import { parsePrice } from "./price";

interface Cart {
  total: number;
}

const cart: Cart = { total: 0 };

function buy(): void {
  cart.total += parsePrice("twelve").cents; // @at click-outer parsePrice
}

function check(): void {
  invariant(cart.total > 0, "the cart is empty"); // @at library invariant
}

async function loadSettings(): Promise<void> {
  await Promise.resolve();
  throw new SyntaxError("settings are not valid JSON"); // @at rejection new
}

document.getElementById("buy")!.addEventListener("click", buy);
document.getElementById("check")!.addEventListener("click", check);
setTimeout(() => {
  const mode: string = location.search === "" ? "short" : "long";
  throw new TypeError(`startup check failed in ${mode} mode`); // @at load new
}, 0);
loadSettings();
