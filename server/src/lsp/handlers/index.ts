// The features the server offers, one module each. To add one (rename, code actions, unlinked mentions…), write a
// module exporting a `Feature` in this folder and list it here: its capabilities are merged into the initialize answer
// and its `register` is called once the connection is set up.
import type { Feature } from '../context';
import { backlinks } from './backlinks';
import { codeActionsFeature } from './codeActions';
import { codeLensFeature } from './codeLens';
import { commandsFeature } from './commands';
import { completion } from './completion';
import { definition } from './definition';
import { diagnostics } from './diagnostics';
import { documentLinks } from './documentLinks';
import { dropLinks } from './dropLinks';
import { folding } from './folding';
import { graph } from './graph';
import { highlights } from './highlights';
import { hover } from './hover';
import { linkToHere } from './linkToHere';
import { mentionsFeature } from './mentions';
import { outgoing } from './outgoing';
import { previewLinks } from './previewLinks';
import { references } from './references';
import { renameFeature } from './rename';
import { selectionRangesFeature } from './selectionRanges';
import { semanticTokensFeature } from './semanticTokens';
import { symbols } from './symbols';
import { wanted } from './wanted';

export const features: Feature[] = [
  diagnostics,
  completion,
  definition,
  hover,
  references,
  highlights,
  codeLensFeature,
  backlinks,
  symbols,
  documentLinks,
  folding,
  selectionRangesFeature,
  semanticTokensFeature,
  wanted,
  graph,
  previewLinks,
  dropLinks,
  linkToHere,
  renameFeature,
  codeActionsFeature,
  mentionsFeature,
  outgoing,
  commandsFeature,
];
