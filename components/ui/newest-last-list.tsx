'use client';
// A scrolling list read from the top whose newest item is its last, as a chat thread: it opens
// scrolled to that item and scrolls to each one added, so what just arrived is what shows.
import { useLayoutEffect, useRef, type ComponentProps } from 'react';

export function NewestLastList({ count, ...props }: ComponentProps<'ol'> & { /** Items in the list: a new one scrolls to the end. */ count: number }) {
  const list = useRef<HTMLOListElement>(null);
  useLayoutEffect(() => {
    const element = list.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [count]);
  return <ol ref={list} {...props} />;
}
