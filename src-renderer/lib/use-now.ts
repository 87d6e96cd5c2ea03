import { useEffect, useState } from 'react';

/** The current time, refreshed every `intervalMs`, so „vor 5 Minuten“ keeps up by itself. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}
