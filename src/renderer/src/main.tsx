import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createAppClient } from './api/create-app-client';
import { applyTheme, systemTheme, useThemeStore } from './state/theme-store';
import './styles/tokens.css';
import './styles/base.css';
import './styles/controls.css';
import './styles/shell.css';
import './styles/sidebar.css';
import './styles/detail.css';
import './styles/dialog.css';
import './styles/blueprints.css';
import './styles/policies.css';

// Before the first paint, so a dark-theme user never sees a white flash.
applyTheme(useThemeStore.getState().preference ?? systemTheme());

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App app={createAppClient()} />
  </StrictMode>,
);
