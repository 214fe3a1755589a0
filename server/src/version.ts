// The product's version as package.json gives it, for `linked-articles --version` and the server's serverInfo.
import { version } from '../../package.json';

export const VERSION: string = version;
