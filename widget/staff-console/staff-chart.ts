import { LitElement, css, html, svg } from "lit";
import { chartSummary } from "./queue.js";
import type { ChartBar } from "./queue.js";
import { themeStyles } from "./theme.styles.js";

const LABEL_WIDTH = 150;
/** The figure's padding and border, across. */
const FIGURE_INSET = 34;
const ROW_HEIGHT = 28;
const BAR_HEIGHT = 18;

/**
 * A horizontal bar chart drawn as inline SVG, as wide as its box in CSS pixels so that its words are never scaled
 * down on a phone (the bars take what the labels leave). Screen readers get a one-sentence summary on the picture and the
 * same numbers as a table that is hidden from sight.
 * @csspart figure - the chart's figure element.
 */
export class StaffChart extends LitElement {
  static override properties = {
    heading: {},
    bars: { attribute: false },
    alertIds: { attribute: false },
    _width: { state: true },
  };

  static override styles = [
    themeStyles,
    css`
      :host {
        height: 100%;
      }
      figure {
        height: 100%;
        position: relative;
        margin: 0;
        padding: 0.75rem 1rem;
        border: 1px solid var(--staff-border);
        border-radius: 8px;
        background: var(--staff-surface);
      }
      figcaption {
        font-weight: 600;
        margin-bottom: 0.5rem;
      }
      svg {
        display: block;
        width: 100%;
        height: auto;
      }
      .label,
      .count {
        fill: var(--staff-text);
        font-size: 14px;
        font-family: var(--staff-font);
      }
      .bar {
        fill: var(--staff-bar);
      }
      .bar.alert {
        fill: var(--staff-bar-alert);
      }
      .track {
        fill: none;
        stroke: var(--staff-border);
        stroke-width: 1;
      }
    `,
  ];

  declare heading: string;
  declare bars: ChartBar[];
  /** Bars drawn in the alert colour (e.g. "overdue"); their label says so in words too. */
  declare alertIds: string[];
  declare _width: number;

  #resize = new ResizeObserver(([entry]) => {
    const width = Math.round((entry?.contentRect.width ?? 0) - FIGURE_INSET);
    if (width > 0 && width !== this._width) this._width = width;
  });

  override connectedCallback() {
    super.connectedCallback();
    this.#resize.observe(this);
  }

  override disconnectedCallback() {
    this.#resize.disconnect();
    super.disconnectedCallback();
  }

  constructor() {
    super();
    this._width = 380;
    this.heading = "";
    this.bars = [];
    this.alertIds = [];
  }

  override render() {
    const max = Math.max(0, ...this.bars.map((bar) => bar.count));
    if (max === 0) {
      return html`<figure part="figure"><figcaption>${this.heading}</figcaption><p class="muted">No open requests.</p></figure>`;
    }
    const height = this.bars.length * ROW_HEIGHT + 4;
    const width = Math.max(this._width, LABEL_WIDTH + 100);
    const BAR_AREA = width - LABEL_WIDTH - 40;
    return html`
      <figure part="figure">
        <figcaption aria-hidden="true">${this.heading}</figcaption>
        <svg role="img" aria-label=${chartSummary(this.heading, this.bars)} viewBox="0 0 ${width} ${height}">
          ${this.bars.map((bar, index) => {
            const y = index * ROW_HEIGHT + 2;
            const barWidth = bar.count === 0 ? 0 : Math.max(3, (bar.count / max) * BAR_AREA);
            const alert = this.alertIds.includes(bar.id) && bar.count > 0;
            return svg`
              <text class="label" x=${LABEL_WIDTH - 8} y=${y + BAR_HEIGHT / 2} text-anchor="end" dominant-baseline="central">${bar.label}</text>
              <line class="track" x1=${LABEL_WIDTH} x2=${LABEL_WIDTH} y1=${y - 3} y2=${y + BAR_HEIGHT + 3}></line>
              <rect class="bar ${alert ? "alert" : ""}" x=${LABEL_WIDTH} y=${y} width=${barWidth} height=${BAR_HEIGHT} rx="2"></rect>
              <text class="count" x=${LABEL_WIDTH + barWidth + 6} y=${y + BAR_HEIGHT / 2} dominant-baseline="central">${bar.count}</text>
            `;
          })}
        </svg>
        <div class="visually-hidden">
        <table>
          <caption>${this.heading}</caption>
          <thead><tr><th scope="col">Group</th><th scope="col">Open requests</th></tr></thead>
          <tbody>
            ${this.bars.map((bar) => html`<tr><th scope="row">${bar.label}</th><td>${bar.count}</td></tr>`)}
          </tbody>
        </table>
        </div>
      </figure>
    `;
  }
}

customElements.define("staff-chart", StaffChart);

declare global {
  interface HTMLElementTagNameMap {
    "staff-chart": StaffChart;
  }
}
