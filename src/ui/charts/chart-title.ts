/**
 * The title of the card a chart sits in (app.tsx's ChartCard, the Compare view's cards), for what shows the
 * chart apart from its card: the Present view's heading and its buttons' names.
 */
import { createContext } from 'react';

export const ChartTitle = createContext<string | null>(null);
