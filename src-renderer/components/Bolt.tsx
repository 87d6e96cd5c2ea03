/** The lightning bolt of the Blitz: filled when there is something new. */
export function Bolt({ active, size = 16 }: { active: boolean; size?: number }) {
  return (
    <svg
      className={active ? 'bolt bolt-active' : 'bolt'}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M13.5 2 4.5 13.5h6L9.5 22l9-12h-6.2L13.5 2Z" strokeLinejoin="round" strokeWidth="1.6" />
    </svg>
  );
}
