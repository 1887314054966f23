export const COMMANDS = { explain: 'tcpLens.explain', showDiagram: 'tcpLens.showDiagram', stepThrough: 'tcpLens.stepThrough', explainFile: 'tcpLens.explainFile' } as const;
