import { formatCents } from './format.js';

/** Renders the basket as text lines. */
export function renderBasket(items) {
  return items.map((item) => `${item.name}: ${formatCents(item.cents * item.quantity)}`);
}

export class Basket {
  #items = [];

  /** Adds an item. */
  add(item) {
    this.#items.push(item);
    return this;
  }

  get size() {
    return this.#items.length;
  }
}
