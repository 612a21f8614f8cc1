import { render } from 'preact';
import { App } from './app';
import { takeFragmentToken } from './session';
import './style.css';

takeFragmentToken();
render(<App />, document.getElementById('app')!);
