/**
 * Which of the page's views is shown beside the form: the Lab (one run, live), Compare (strategies over a
 * grid), Learn (guided lessons) or History (the runs this browser kept). One zustand slice, so that a lesson
 * can open the view its step asks for and a reopened run can bring the Lab back.
 */
import { create } from 'zustand';

export const PAGE_VIEWS = ['lab', 'compare', 'learn', 'history'] as const;
export type PageView = (typeof PAGE_VIEWS)[number];

export interface PageViewState {
  view: PageView;
  show(view: PageView): void;
}

export const usePageView = create<PageViewState>()((set) => ({
  view: 'lab',
  show(view) {
    set({ view });
  },
}));
