// Inline SVG icons (no icon font, no requests). Decorative: hidden from
// assistive technology; the control that holds one carries the label.
import type { SVGAttributes } from 'preact';

const base = {
  width: 18,
  height: 18,
  viewBox: '0 0 24 24',
  fill: 'none',
  stroke: 'currentColor',
  'stroke-width': 2,
  'stroke-linecap': 'round',
  'stroke-linejoin': 'round',
  'aria-hidden': 'true',
  focusable: 'false',
} as const;

type P = SVGAttributes<SVGSVGElement>;

export const Logo = (p: P) => (
  <svg {...base} viewBox="0 0 32 32" width={28} height={28} stroke="none" {...p}>
    <rect width="32" height="32" rx="8" fill="var(--accent)" />
    <path d="M8 22l5-6 4 3 7-9" fill="none" stroke="var(--on-accent)" stroke-width="3" stroke-linecap="round" stroke-linejoin="round" />
  </svg>
);
export const Sun = (p: P) => (
  <svg {...base} {...p}>
    <circle cx="12" cy="12" r="4" />
    <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
  </svg>
);
export const Moon = (p: P) => (
  <svg {...base} {...p}>
    <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" />
  </svg>
);
export const Chevron = (p: P) => (
  <svg {...base} width={16} height={16} {...p}>
    <path d="M6 9l6 6 6-6" />
  </svg>
);
export const Check = (p: P) => (
  <svg {...base} {...p}>
    <path d="M20 6L9 17l-5-5" />
  </svg>
);
export const Plus = (p: P) => (
  <svg {...base} width={16} height={16} {...p}>
    <path d="M12 5v14M5 12h14" />
  </svg>
);
export const Globe = (p: P) => (
  <svg {...base} width={16} height={16} {...p}>
    <circle cx="12" cy="12" r="9" />
    <path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18" />
  </svg>
);
export const Copy = (p: P) => (
  <svg {...base} width={15} height={15} {...p}>
    <rect x="9" y="9" width="12" height="12" rx="2" />
    <path d="M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1" />
  </svg>
);
