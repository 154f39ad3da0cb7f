/** Browser entry: mounts the HedgeLab page and registers its service worker (offline use, updates). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { startOfflineApp } from './offline-app';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
startOfflineApp();
